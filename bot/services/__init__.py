"""Services: plain values in, plain results out. They never import slack_bolt."""
