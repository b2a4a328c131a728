from followup import recording_views
