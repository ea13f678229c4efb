class WorkflowError(Exception):
    """An action the assessment's (or round's) state or the actor's role does not allow; the message says why."""


class UnjudgedItems(WorkflowError):
    """Verification refused: some items of the snapshot have no verdict yet."""

    def __init__(self, message: str, *, count: int, first_key: str):
        super().__init__(message)
        self.count = count
        self.first_key = first_key
