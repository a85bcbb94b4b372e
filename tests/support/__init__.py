"""What the tests share: helpers, harnesses and data that more than one test folder uses.

- ``browser``: the browser, HTML-checker and PDF helpers and their fixtures (a pytest plugin,
  loaded by tests/conftest.py);
- ``assess``: a planned self-check fed to ``qim assess --interactive`` through the runner;
- ``forms``: ``qim form`` and ``qim export redcap`` run for a test, and REDCap's own rules;
- ``run_commands``: many qim commands in one process, each with its own redirected streams;
- ``feedback_worst``: the longest 360° report qim prints;
- ``hostile/``: bad answer sheets and broken profile sets, and harnesses that stop qim at a
  known point of a run (for signals and killed workers).
"""
