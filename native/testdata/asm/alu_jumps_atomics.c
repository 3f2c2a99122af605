// cflags: -O2 -mcpu=v3
//
// Exercises ISA v3 code generation for ClangCompatibilityTest: 32- and 64-bit ALU, every
// conditional jump (signed, unsigned, JSET, JMP32), loads and stores of every size, all atomics,
// byte swaps, 64-bit constants, map references and helper calls. No BPF-to-BPF calls: LLVM prints
// them like helper calls, so they cannot be compared as text (see the test's Javadoc).

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static u32 (*bpf_get_prandom_u32)(void) = (void *)7;

struct {
    int type;
    int max_entries;
} counters __attribute__((section(".maps")));

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

struct pkt {
    u8 b;
    u8 pad;
    u16 h;
    u32 w;
    u64 d;
    u64 counter;
    u32 counter32;
    u32 flags;
};

__attribute__((section("tc"), used)) int alu(struct pkt *p)
{
    u64 a = p->d, b = p->w;
    u32 x = p->w, y = p->h;
    a += b; a -= 3; a *= b; a /= (b | 1); a %= 7; a |= 0x100; a &= ~0xffULL; a ^= b;
    a <<= 3; a >>= (b & 63); a = (u64)((s64)a >> 5); a = -a;
    x += y; x -= 9; x *= y; x /= (y | 1); x %= 13; x |= 2; x &= 0xfff; x ^= y;
    x <<= 2; x >>= (y & 31); x = (u32)((s32)x >> 1); x = -x;
    a += 0x123456789abcdefULL;
    a += __builtin_bswap64(b) + __builtin_bswap32(x) + __builtin_bswap16(y);
    return (int)(a + x);
}

__attribute__((section("tc"), used)) int jumps(struct pkt *p)
{
    s64 sa = (s64)p->d;
    u64 ua = p->d;
    s32 sw = (s32)p->w;
    u32 uw = p->w;
    int r = 0;
    if (sa < -5) r += 1;
    if (sa <= 7) r += 2;
    if (sa > 100) r += 3;
    if (sa >= (s64)ua) r += 4;
    if (ua < 10) r += 5;
    if (ua > 1000) r += 6;
    if (ua & 0x40) r += 7;
    if (sw < (s32)p->h) r += 8;
    if (uw > 77) r += 9;
    if (uw != p->flags) r += 10;
    if (uw == 3) r += 11;
    if (sw >= -1) r += 12;
    return r;
}

__attribute__((section("tc"), used)) int memory(struct pkt *p)
{
    u64 key = p->b;
    u64 *v = bpf_map_lookup_elem(&counters, &key);
    if (!v)
        return 0;
    p->b = (u8)key;
    p->h = (u16)key;
    p->w = (u32)key;
    p->d = key + bpf_ktime_get_ns();
    __sync_fetch_and_add(&p->counter, 1);
    __sync_fetch_and_or(&p->counter, key);
    __sync_fetch_and_and(&p->counter, key);
    __sync_fetch_and_xor(&p->counter, key);
    u64 f = __sync_fetch_and_add(&p->counter, 2) + __sync_fetch_and_or(&p->counter, 4)
          + __sync_fetch_and_and(&p->counter, 8) + __sync_fetch_and_xor(&p->counter, 16);
    f += __sync_val_compare_and_swap(&p->counter, f, key);
    f += __atomic_exchange_n(&p->counter, f, __ATOMIC_SEQ_CST);
    u32 g = __sync_fetch_and_add(&p->counter32, 3) + __sync_fetch_and_xor(&p->counter32, 5);
    g += __sync_val_compare_and_swap(&p->counter32, g, 9);
    g += __atomic_exchange_n(&p->counter32, g, __ATOMIC_SEQ_CST);
    __sync_fetch_and_add(&p->counter32, g);
    return (int)(f + g + *v + bpf_get_prandom_u32());
}

__attribute__((section("socket"), used)) int legacy(void *skb)
{
    return (int)(load_byte(skb, 23) + load_half(skb, 12) + load_word(skb, 26));
}
