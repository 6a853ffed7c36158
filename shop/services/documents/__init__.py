"""Documents as PDF: invoices, packing slips, commercial invoices, quotes and pro-formas."""
