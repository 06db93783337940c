class DomainError(Exception):
    """A rule of the domain refused an action; views show its message next to the form."""
