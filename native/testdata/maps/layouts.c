/*
 * C structs mirrored by the records in jbpf-maps' LayoutAgainstCTest: prints each struct's
 * sizeof/_Alignof and each field's offsetof/sizeof, for the test to compare with RecordCodec.
 *   S <struct> <size> <align>
 *   F <struct>.<field> <offset> <size>
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct in6 { union { uint8_t u8[16]; uint32_t u32[4]; } u; };

struct FlowKey { uint32_t saddr; uint32_t daddr; uint16_t sport; uint16_t dport; uint8_t proto; };
struct Counters { uint64_t packets; uint64_t bytes; uint32_t flags; };
struct Mixed { uint8_t a; uint64_t b; uint16_t c; uint32_t d; uint8_t e[3]; };
struct Nested { uint8_t tag; struct Counters counters; uint16_t tail; };
struct __attribute__((packed)) Packed { uint8_t a; uint32_t b; uint16_t c; };
struct WithArrays { uint16_t ports[3]; uint64_t x; uint32_t ids[2]; };
struct Explicit { uint32_t a; uint8_t reserved[12]; uint32_t b; };
struct V6Key { uint32_t ifindex; struct in6 addr; uint8_t dir; };
struct Floats { float f; double d; _Bool ok; uint16_t c; };
struct Small { uint16_t a; uint8_t b; };

#define S(T) printf("S %s %zu %zu\n", #T, sizeof(struct T), _Alignof(struct T))
#define F(T, f) printf("F %s.%s %zu %zu\n", #T, #f, offsetof(struct T, f), sizeof(((struct T *)0)->f))

int main(void) {
    S(FlowKey); F(FlowKey, saddr); F(FlowKey, daddr); F(FlowKey, sport); F(FlowKey, dport); F(FlowKey, proto);
    S(Counters); F(Counters, packets); F(Counters, bytes); F(Counters, flags);
    S(Mixed); F(Mixed, a); F(Mixed, b); F(Mixed, c); F(Mixed, d); F(Mixed, e);
    S(Nested); F(Nested, tag); F(Nested, counters); F(Nested, tail);
    S(Packed); F(Packed, a); F(Packed, b); F(Packed, c);
    S(WithArrays); F(WithArrays, ports); F(WithArrays, x); F(WithArrays, ids);
    S(Explicit); F(Explicit, a); F(Explicit, b);
    S(V6Key); F(V6Key, ifindex); F(V6Key, addr); F(V6Key, dir);
    S(Floats); F(Floats, f); F(Floats, d); F(Floats, ok); F(Floats, c);
    S(Small); F(Small, a); F(Small, b);
    return 0;
}
