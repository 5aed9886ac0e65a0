import 'dart:async';

abstract class Shape {
  double get area;
}

class Circle extends Shape {
  final double radius;
  Circle(this.radius);

  @override
  double get area => 3.14159 * radius * radius;
}

Future<void> main() async {
  final shapes = <Shape>[Circle(1), Circle(2.5)];
  var total = 0.0;
  for (final s in shapes) {
    total += s.area;
  }
  await Future.delayed(const Duration(milliseconds: 1));
  print('total: ${total.toStringAsFixed(2)}');
}
