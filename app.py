"""The review dashboard: `streamlit run app.py` (`make run` annotates seeds/ into the store first).

The store is $ANNOTATOR_DB, else the default one in the user's data folder. The pages live in
annotator/dashboard/.
"""

from annotator.dashboard.app import main

main()
