// Stops with an exit code and never answers.
process.exit(3);
