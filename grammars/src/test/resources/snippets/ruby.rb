require "set"

module Quarry
  class Counter
    attr_reader :counts

    def initialize
      @counts = Hash.new(0)
    end

    def add(text)
      text.split(/\s+/).each { |w| @counts[w.downcase] += 1 }
      self
    end

    def top(n = 3)
      @counts.sort_by { |_, c| -c }.first(n).to_h
    end
  end
end

counter = Quarry::Counter.new.add("the cat and the hat")
counter.top.each do |word, count|
  puts "#{word}: #{count}"
end
puts :done unless counter.counts.empty?
