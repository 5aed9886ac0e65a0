/* Ring buffer of bytes. */
#include <stdio.h>
#include <stdlib.h>

#define RING_CAPACITY 64
#define MIN(a, b) ((a) < (b) ? (a) : (b))

typedef struct ring {
    unsigned char data[RING_CAPACITY];
    size_t head;
    size_t len;
} ring_t;

enum ring_status { RING_OK = 0, RING_FULL = -1 };

static int ring_push(ring_t *r, unsigned char byte)
{
    if (r->len == RING_CAPACITY) {
        return RING_FULL;
    }
    r->data[(r->head + r->len) % RING_CAPACITY] = byte;
    r->len++;
    return RING_OK;
}

size_t ring_read(ring_t *r, unsigned char *out, size_t max)
{
    size_t n = MIN(max, r->len);
    for (size_t i = 0; i < n; i++) {
        out[i] = r->data[(r->head + i) % RING_CAPACITY];
    }
    r->head = (r->head + n) % RING_CAPACITY;
    r->len -= n;
    return n;
}

int main(void)
{
    ring_t r = {0};
    ring_push(&r, 'a');
    ring_push(&r, 0x42);
    unsigned char buf[4];
    printf("read %zu bytes: %s\n", ring_read(&r, buf, sizeof buf), "ok")
    return 0;
}
