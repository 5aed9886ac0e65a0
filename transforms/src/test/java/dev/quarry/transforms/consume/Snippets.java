package dev.quarry.transforms.consume;

import java.util.Map;
import java.util.TreeMap;

/** A short, real-looking snippet for every grammar of the registry. */
final class Snippets {
  private Snippets() {}

  static final Map<String, String> BY_GRAMMAR = new TreeMap<>();

  static {
    put("bash", """
        #!/bin/bash
        # Rotate logs older than $1 days.
        set -euo pipefail
        rotate() {
          local dir="${1:-/var/log}"
          for f in "$dir"/*.log; do
            gzip -9 "$f" && echo "rotated $(basename "$f")"
          done
        }
        rotate "$@"
        """);
    put("c", """
        #include <stdio.h>
        /* Sum of squares. */
        static long squares(int n) {
            long total = 0;
            for (int i = 1; i <= n; i++) total += (long) i * i;
            return total;
        }
        int main(void) { printf("%ld\\n", squares(10)); return 0; }
        """);
    put("c_sharp", """
        using System;
        namespace Demo {
            /// <summary>A point.</summary>
            public record Point(int X, int Y);
            public class Program {
                public static int Twice(int x) => x * 2;
                static void Main(string[] args) {
                    Console.WriteLine($"twice {Twice(21)} at {new Point(1, 2)}");
                }
            }
        }
        """);
    put("cpp", """
        #include <vector>
        namespace geo {
        template <typename T>
        class Stack {
         public:
          void push(const T& v) { items_.push_back(v); }
          T pop() { T v = items_.back(); items_.pop_back(); return v; }
         private:
          std::vector<T> items_;
        };
        }  // namespace geo
        int main() { geo::Stack<int> s; s.push(1); return s.pop(); }
        """);
    put("css", """
        /* Buttons */
        .button, a.button:hover {
          color: #fff;
          padding: 4px 8px;
          background: linear-gradient(to right, red 0%, blue 100%);
        }
        @media (max-width: 600px) { .button { display: none !important; } }
        """);
    put("dart", """
        import 'dart:math';
        /// A circle.
        class Circle {
          final double radius;
          Circle(this.radius);
          double get area => pi * radius * radius;
        }
        void main() {
          print('area: ${Circle(2).area}');
        }
        """);
    put("elixir", """
        defmodule Greeter do
          @moduledoc "Greets people."
          def hello(name) when is_binary(name) do
            "Hello, #{name}!"
          end
          defp shout(s), do: String.upcase(s)
        end
        IO.puts(Greeter.hello("world"))
        """);
    put("embedded_template", """
        <h1><%= @title %></h1>
        <% @items.each do |item| %>
          <li><%= item.name %></li>
        <% end %>
        """);
    put("go", """
        package main

        import "fmt"

        // Sum adds numbers.
        func Sum(xs ...int) (total int) {
        \tfor _, x := range xs {
        \t\ttotal += x
        \t}
        \treturn
        }

        func main() { fmt.Println(Sum(1, 2, 3)) }
        """);
    put("haskell", """
        module Main where
        -- | Factorial.
        factorial :: Integer -> Integer
        factorial 0 = 1
        factorial n = n * factorial (n - 1)
        main :: IO ()
        main = print (factorial 20)
        """);
    put("hcl", """
        # Web server
        resource "aws_instance" "web" {
          ami           = "ami-123456"
          instance_type = var.size
          tags = {
            Name = "web-${count.index}"
          }
        }
        """);
    put("html", """
        <!DOCTYPE html>
        <html>
          <head><title>Demo</title><style>body { margin: 0 }</style></head>
          <body>
            <!-- main -->
            <p class="lead">Hello <b>world</b></p>
            <script>console.log("hi")</script>
          </body>
        </html>
        """);
    put("java", """
        package demo;
        /** Counter. */
        public class Counter {
          private int count;
          public int increment() { return ++count; }
          public static void main(String[] args) { System.out.println(new Counter().increment()); }
        }
        """);
    put("javascript", """
        // Debounce.
        export function debounce(fn, ms = 100) {
          let timer = null;
          return (...args) => {
            clearTimeout(timer);
            timer = setTimeout(() => fn(...args), ms);
          };
        }
        const log = debounce((m) => console.log(`msg: ${m}`), 50);
        """);
    put("json", """
        {
          "name": "demo",
          "version": "1.0.0",
          "tags": ["a", "b", null, true, 3.5e2],
          "nested": {"deep": [{"x": 1}, {"y": [2, 3]}]}
        }
        """);
    put("julia", """
        module Shapes
        \"\"\"Area of a square.\"\"\"
        struct Square
            side::Float64
        end
        area(s::Square) = s.side^2
        function describe(s)
            println("area = $(area(s))")
        end
        end
        """);
    put("kotlin", """
        package demo
        // A user.
        data class User(val name: String, val age: Int)
        class Registry {
            private val users = mutableListOf<User>()
            fun add(user: User): Boolean = users.add(user)
            fun names(): List<String> = users.map { it.name }
        }
        fun main() { println(Registry().names()) }
        """);
    put("lua", """
        -- Queue
        local Queue = {}
        Queue.__index = Queue
        function Queue.new() return setmetatable({first = 1, last = 0}, Queue) end
        function Queue:push(v) self.last = self.last + 1; self[self.last] = v end
        local q = Queue.new()
        q:push("x")
        print(#q, "done")
        """);
    put("make", """
        CC := gcc
        CFLAGS = -O2 -Wall
        # Build everything.
        all: app
        app: main.o util.o
        \t$(CC) $(CFLAGS) -o $@ $^
        %.o: %.c
        \t$(CC) $(CFLAGS) -c $<
        .PHONY: all
        """);
    put("markdown", """
        # Title

        Some *emphasis* and `code`.

        ```python
        print("hi")
        ```

        - item one
        - item [two](https://example.com)
        """);
    put("markdown_inline", "Some *emphasis*, **strong**, `code` and a [link](https://example.com).");
    put("ocaml", """
        (* Lists *)
        let rec sum = function
          | [] -> 0
          | x :: rest -> x + sum rest
        type shape = Circle of float | Square of float
        let area = function Circle r -> 3.14 *. r *. r | Square s -> s *. s
        let () = print_int (sum [1; 2; 3])
        """);
    put("ocaml_interface", """
        (** Stacks. *)
        type 'a t
        val empty : 'a t
        val push : 'a -> 'a t -> 'a t
        module Make (X : sig type t end) : sig val x : X.t option end
        """);
    put("ocaml_type", "int -> (string * float) list -> 'a option");
    put("php", """
        <?php
        namespace App;
        // Greeter.
        class Greeter {
            public function __construct(private string $name) {}
            public function greet(): string { return "Hello, {$this->name}!"; }
        }
        echo (new Greeter("world"))->greet();
        """);
    put("php_only", """
        function twice(int $x): int { return $x * 2; }
        $values = array_map('twice', [1, 2, 3]);
        echo implode(",", $values);
        """);
    put("python", """
        import os

        class Walker:
            \"\"\"Walks a tree.\"\"\"
            def __init__(self, root):
                self.root = root

            def files(self):
                for d, _, names in os.walk(self.root):
                    yield from (os.path.join(d, n) for n in names)

        print(list(Walker(".").files())[:3])
        """);
    put("r", """
        # Mean of squares.
        mean_sq <- function(x, na.rm = TRUE) {
          mean(x^2, na.rm = na.rm)
        }
        values <- c(1, 2, NA, 4)
        print(mean_sq(values))
        """);
    put("regex", "^(?<year>\\\\d{4})-(\\\\d{2})-(\\\\d{2})(?:T[0-9:]+)?$|[a-z]+\\\\s*");
    put("ruby", """
        # Stack
        module Collections
          class Stack
            def initialize
              @items = []
            end

            def push(item) = @items.push(item)

            def self.of(*items)
              new.tap { |s| items.each { |i| s.push(i) } }
            end
          end
        end
        puts Collections::Stack.of(1, 2).inspect
        """);
    put("rust", """
        /// Greeting.
        pub fn greet(name: &str) -> String {
            format!("Hello, {}!", name)
        }
        struct Counter { n: u64 }
        impl Counter {
            fn tick(&mut self) -> u64 { self.n += 1; self.n }
        }
        fn main() { println!("{}", greet("world")); }
        """);
    put("scala", """
        package demo
        // Shapes
        sealed trait Shape { def area: Double }
        case class Circle(r: Double) extends Shape { def area: Double = math.Pi * r * r }
        object Main {
          def main(args: Array[String]): Unit = println(Circle(2).area)
        }
        """);
    put("sql", """
        -- Top customers
        SELECT c.name, SUM(o.total) AS spent
        FROM customers c
        JOIN orders o ON o.customer_id = c.id
        WHERE o.created_at >= '2024-01-01'
        GROUP BY c.name
        ORDER BY spent DESC
        LIMIT 10;
        """);
    put("svelte", """
        <script>
          let count = 0;
          function increment() { count += 1; }
        </script>

        <button on:click={increment}>Clicked {count} {count === 1 ? 'time' : 'times'}</button>

        <style>
          button { color: red; }
        </style>
        """);
    put("swift", """
        import Foundation
        /// A counter.
        struct Counter {
            private(set) var value = 0
            mutating func increment(by step: Int = 1) { value += step }
        }
        protocol Named { var name: String { get } }
        var c = Counter()
        c.increment()
        print("value: \\(c.value)")
        """);
    put("toml", """
        # Package
        [package]
        name = "demo"
        version = "0.1.0"
        authors = ["A <a@example.com>"]

        [dependencies]
        serde = { version = "1", features = ["derive"] }
        """);
    put("tsx", """
        import React from "react";
        // Greeting component.
        export function Hello({ name }: { name: string }) {
          const [n, setN] = React.useState<number>(0);
          return <button onClick={() => setN(n + 1)}>Hello {name} {n}</button>;
        }
        """);
    put("typescript", """
        // Result type.
        type Result<T> = { ok: true; value: T } | { ok: false; error: string };
        export function parse(s: string): Result<number> {
          const n = Number(s);
          return Number.isNaN(n) ? { ok: false, error: `bad ${s}` } : { ok: true, value: n };
        }
        """);
    put("vue", """
        <template>
          <button @click="count++">Count is: {{ count }}</button>
        </template>

        <script>
        export default { data() { return { count: 0 } } }
        </script>
        """);
    put("yaml", """
        # CI
        name: build
        on: [push, pull_request]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: make test # all
        """);
    put("zig", """
        const std = @import("std");
        /// Adds two numbers.
        pub fn add(a: i32, b: i32) i32 {
            return a + b;
        }
        pub fn main() void {
            std.debug.print("{d}\\n", .{add(1, 2)});
        }
        """);
  }

  private static void put(String grammar, String snippet) {
    BY_GRAMMAR.put(grammar, snippet);
  }
}
