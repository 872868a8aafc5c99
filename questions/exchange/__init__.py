"""Questions in and out of Moodle's GIFT and Aiken formats: pure functions on text."""
