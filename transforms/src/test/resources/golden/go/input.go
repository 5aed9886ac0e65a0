// Package queue implements a bounded FIFO queue.
package queue

import (
	"errors"
	"fmt"
)

// ErrFull is returned when the queue has no room left.
var ErrFull = errors.New("queue: full")

const defaultCapacity = 16

// Queue is a bounded FIFO queue of strings.
type Queue struct {
	items []string
	limit int
}

// Sizer reports a length.
type Sizer interface {
	Len() int
}

type Name = string

// New returns an empty queue with the given capacity.
func New(limit int) *Queue {
	if limit <= 0 {
		limit = defaultCapacity
	}
	return &Queue{items: make([]string, 0, limit), limit: limit}
}

// Push appends an item.
func (q *Queue) Push(item string) error {
	if len(q.items) >= q.limit {
		return fmt.Errorf("push %q: %w", item, ErrFull)
	}
	q.items = append(q.items, item)
	return nil
}

// Len returns the number of items.
func (q *Queue) Len() int { return len(q.items) }

func broken() {
	x := 1 +
}
