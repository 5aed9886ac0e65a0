module Shapes

export Circle, area

abstract type Shape end

struct Circle <: Shape
    r::Float64
end

area(c::Circle) = pi * c.r^2

function total(shapes::Vector{<:Shape})
    s = 0.0
    for sh in shapes
        s += area(sh)
    end
    return s
end

end # module

using .Shapes
println("area: ", Shapes.total([Circle(1.0), Circle(2.0)]))
