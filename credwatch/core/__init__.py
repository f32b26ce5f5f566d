"""The ground floor every stage stands on: database opening and migrations, provider
identity, the one error type, shared CLI options and the loopback test-site server.

Nothing here imports a stage (`registry_data`, `crawler`, `scoring`, publish/serve or the
orchestrator); `tests/test_architecture.py` fails when something does.
"""
