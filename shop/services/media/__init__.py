"""Photos: decoding, renditions, and products' photo sets."""
