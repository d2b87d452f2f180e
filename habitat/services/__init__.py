"""Use cases. Each takes a Ctx (who acts, which cursor, clock) and checks the role itself."""
