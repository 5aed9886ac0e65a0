package main

import (
	"fmt"
	"sort"
	"strings"
)

type Counter map[string]int

func (c Counter) Add(words ...string) {
	for _, w := range words {
		c[strings.ToLower(w)]++
	}
}

func (c Counter) Top(n int) []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return c[keys[i]] > c[keys[j]] })
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

func main() {
	c := Counter{}
	c.Add(strings.Fields("the quick brown fox jumps over the lazy dog")...)
	ch := make(chan string, 1)
	go func() { ch <- fmt.Sprint(c.Top(3)) }()
	fmt.Println(<-ch)
}
