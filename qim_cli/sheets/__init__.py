"""What people write: answer sheets, rating sheets, templates and the self-check's draft."""
