"""The interviewer, headless: the plan of a session, its position, hints and follow-ups."""
