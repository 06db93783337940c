"""Records of Fife alone, as the evidence pages' tests make them."""


def of_fife(make, cast, title, **fields):
    """A record of Fife's alone, called ``title``, made by the factory ``make``."""
    return make(programme=cast.programme, title=title, sites=[cast.fife], **fields)
