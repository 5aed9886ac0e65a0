import Foundation

protocol Shape {
    var area: Double { get }
}

struct Circle: Shape {
    let radius: Double
    var area: Double { .pi * radius * radius }
}

enum Kind: String {
    case small, large
}

final class Registry<T: Shape> {
    private var items: [T] = []

    func add(_ item: T) -> Self {
        items.append(item)
        return self
    }

    func total() -> Double {
        items.reduce(0) { $0 + $1.area }
    }
}

let registry = Registry<Circle>().add(Circle(radius: 1)).add(Circle(radius: 2))
let kind: Kind = registry.total() > 10 ? .large : .small
if let first = [1, 2, 3].first, first > 0 {
    print("total \(registry.total()) is \(kind.rawValue)")
}
