class WorkflowError(Exception):
    """An action the assessment's (or round's) state or the actor's role does not allow; the message says why."""
