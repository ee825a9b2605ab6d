"""A fitted head's arrays, for prediction with numpy alone.

Scoring needs only the weights, calibration and thresholds; loading scikit-learn and scipy for that
costs 140 MB and a second of start-up in every `annotate`. The registry saves these arrays beside the
full skops estimator (safetensors: no pickle) and the pipeline predicts from them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ARRAYS = ("coef_", "intercept_", "platt_a_", "platt_b_", "thresholds_")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -35, 35)))


class FittedHead:
    def __init__(self, arrays: dict[str, np.ndarray], decision: str = "f1") -> None:
        self.coef_, self.intercept_ = arrays["coef_"], arrays["intercept_"]
        self.platt_a_, self.platt_b_ = arrays["platt_a_"], arrays["platt_b_"]
        self.thresholds_ = arrays["thresholds_"]
        self.decision = decision

    @classmethod
    def load(cls, file: Path) -> FittedHead:
        from safetensors import safe_open

        with safe_open(str(file), "np") as handle:
            arrays = {name: handle.get_tensor(name) for name in ARRAYS}
            decision = (handle.metadata() or {}).get("decision", "f1")
        return cls(arrays, decision)

    @staticmethod
    def save(head: object, file: Path) -> None:
        from safetensors.numpy import save_file

        save_file({name: np.ascontiguousarray(getattr(head, name), dtype=np.float64) for name in ARRAYS},
                  str(file), metadata={"decision": str(getattr(head, "decision", "f1"))})

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        scores = np.asarray(X, dtype=np.float64) @ self.coef_.T + self.intercept_
        return sigmoid(scores * self.platt_a_ + self.platt_b_)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int64)
