// cflags: -O2 -mcpu=v4
//
// Exercises what ISA v4 added, for ClangCompatibilityTest: signed division and modulo,
// sign-extending moves and loads, unconditional byte swaps, and stores of immediates.

typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

struct rec {
    s8 b;
    s16 h;
    s32 w;
    s64 d;
    u64 u;
    u32 u32v;
    u16 u16v;
};

__attribute__((section("xdp"), used)) int v4(struct rec *r)
{
    s64 a = r->d, b = r->w;
    s32 x = r->w, y = r->h;
    a = a / (b | 1) + a % 11;
    x = x / (y | 1) + x % 7;
    s64 sx = r->b + r->h + (s64)r->w;
    s64 mv = (s8)a + (s16)a + (s32)a + (s8)x + (s16)x;
    u64 bs = __builtin_bswap64(r->u) + __builtin_bswap32(r->u32v) + __builtin_bswap16(r->u16v);
    r->d = 42;
    r->w = -7;
    r->b = 3;
    r->h = 0x1234;
    return (int)(a + x + sx + mv + bs);
}
