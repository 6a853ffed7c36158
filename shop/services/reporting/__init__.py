"""Reports for staff: sales, revenue split, audit log."""
