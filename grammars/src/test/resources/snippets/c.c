#include <stdio.h>
#include <stdlib.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct node {
  int value;
  struct node *next;
} node_t;

static node_t *push(node_t *head, int value) {
  node_t *n = malloc(sizeof *n);
  if (n == NULL) {
    return head;
  }
  n->value = value;
  n->next = head;
  return n;
}

int main(int argc, char **argv) {
  node_t *list = NULL;
  for (int i = 1; i < argc; i++) {
    list = push(list, atoi(argv[i]));
  }
  int best = 0;
  for (node_t *it = list; it; it = it->next) {
    best = MAX(best, it->value);
  }
  printf("max=%d\n", best);
  return 0;
}
