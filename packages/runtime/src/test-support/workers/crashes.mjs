// Throws outside any handler: the worker thread dies with an uncaught error.
throw new RangeError('stack exploded');
