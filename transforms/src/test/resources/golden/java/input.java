package dev.example.shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * A registry of shapes, with a small amount of geometry.
 */
public class ShapeRegistry implements Iterable<Shape> {
  private static final int MAX_SHAPES = 1_000;
  private final List<Shape> shapes = new ArrayList<>();

  /** Adds a shape unless the registry is full. */
  public boolean add(Shape shape) {
    if (shapes.size() >= MAX_SHAPES) {
      return false;
    }
    return shapes.add(shape);
  }

  public double totalArea() {
    double sum = 0.0;
    for (Shape s : shapes) {
      sum += s.area();
    }
    return sum;
  }

  @Override
  public java.util.Iterator<Shape> iterator() {
    return shapes.iterator();
  }

  public String describe() {
    StringBuilder out = new StringBuilder("shapes:\n");
    shapes.forEach(s -> out.append("  ").append(s.name()).append('\n'));
    return out.toString();
  }
}

interface Shape {
  double area();

  String name();
}

enum Unit {
  METER,
  FOOT;

  double toMeters(double value) {
    return this == METER ? value : value * 0.3048;
  }
}

record Circle(double radius) implements Shape {
  public double area() {
    return Math.PI * radius * radius;
  }

  public String name() {
    return "circle(r=" + radius + ")";
  }
}
