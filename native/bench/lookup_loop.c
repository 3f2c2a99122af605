// The lookup loop of map_ops.c as a library function, for MapOpsBenchmark.lookupCInProcess: the
// JVM calls it once for a run of lookups, so it times the same C code as map_ops inside the JVM's
// process. Set against map_ops (its own process) and KernelMap.lookup (the same process), it tells
// how much of jbpf's distance to C is the Java side of each call and how much is the process.
#include <bpf/bpf.h>
#include <stdint.h>

// Looks up keys first, first + 1, ... (modulo keys) count times; returns the key after the last,
// or -1 when a lookup fails.
long jbpf_lookup_loop(int fd, int first, int count, int keys)
{
	uint32_t k = first;
	for (int i = 0; i < count; i++) {
		uint64_t v;
		if (bpf_map_lookup_elem(fd, &k, &v))
			return -1;
		k = k + 1 == (uint32_t)keys ? 0 : k + 1;
	}
	return k;
}
