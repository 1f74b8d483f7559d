"""The HTML report a citizen reads: one self-contained file per command (``--format html``).

``page`` is the shell (inline CSS, escaping, legend, what to do next); ``verdict_box`` the
verdict of one election; ``station_findings`` the findings per polling station;
``verify_page``, ``seats_page``, ``compare_page`` and ``protocol_page`` the pages of the commands.
"""
