using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Quarry.Samples
{
    public record Point(int X, int Y);

    public interface IShape
    {
        double Area { get; }
    }

    public sealed class Circle : IShape
    {
        private readonly double _radius;

        public Circle(double radius) => _radius = radius;

        public double Area => Math.PI * _radius * _radius;
    }

    public static class Program
    {
        public static async Task Main(string[] args)
        {
            var shapes = new List<IShape> { new Circle(1.0), new Circle(2.5) };
            var total = shapes.Where(s => s.Area > 1).Sum(s => s.Area);
            Console.WriteLine($"total area: {total:F2}");
            await Task.Delay(10);
        }
    }
}
