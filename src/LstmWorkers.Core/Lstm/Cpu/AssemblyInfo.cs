using System.Runtime.CompilerServices;

// The CPU kernels are internal; their tests and the benchmark's kernel timings reach them directly.
[assembly: InternalsVisibleTo("LstmWorkers.Core.Tests")]
[assembly: InternalsVisibleTo("lstmw-bench")]
