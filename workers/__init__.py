"""RQ queues, job functions and the worker command (`python -m workers`)."""
