"""One module per app with the rules for its models; each calls ``policy.register``."""
