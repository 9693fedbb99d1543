"""``gaigen batch``: a whole county's data files checked and rendered in worker processes."""
