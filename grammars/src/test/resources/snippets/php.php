<!DOCTYPE html>
<html>
<body>
<?php

interface Shape
{
    public function area(): float;
}

final class Circle implements Shape
{
    public function __construct(private float $radius) {}

    public function area(): float
    {
        return M_PI * $this->radius ** 2;
    }
}

$shapes = [new Circle(1.0), new Circle(2.0)];
$total = array_sum(array_map(fn (Shape $s) => $s->area(), $shapes));
echo "<p>Total: {$total}</p>";
?>
</body>
</html>
