"""A small OpenID provider (django-oauth-toolkit) that the single sign-on tests run on the
loopback address, in a process of its own: it stands for Entra ID or Google Workspace."""
