// Placeholder until the host is written.
return 0;
