package dev.quarry.sample

import scala.collection.mutable

sealed trait Shape {
  def area: Double
}

final case class Circle(r: Double) extends Shape {
  def area: Double = math.Pi * r * r
}

final case class Rect(w: Double, h: Double) extends Shape {
  def area: Double = w * h
}

object Main {
  def countWords(text: String): Map[String, Int] =
    text.split("\\s+").filter(_.nonEmpty).groupBy(identity).view.mapValues(_.length).toMap

  def main(args: Array[String]): Unit = {
    val shapes: List[Shape] = List(Circle(1.0), Rect(2.0, 3.0))
    val total = shapes.map(_.area).sum
    val seen = mutable.Set.empty[String]
    for (s <- shapes if s.area > 1) seen += s.toString
    shapes.head match {
      case Circle(r) => println(s"circle $r, total $total")
      case other     => println(other)
    }
  }
}
