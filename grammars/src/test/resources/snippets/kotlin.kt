package dev.quarry.sample

import kotlin.math.PI

sealed interface Shape {
    val area: Double
}

data class Circle(val radius: Double) : Shape {
    override val area: Double get() = PI * radius * radius
}

class Registry<T : Shape> {
    private val items = mutableListOf<T>()

    fun add(item: T): Registry<T> = apply { items += item }

    fun total(): Double = items.sumOf { it.area }
}

fun main(args: Array<String>) {
    val registry = Registry<Circle>().add(Circle(1.0)).add(Circle(2.0))
    when (val n = args.size) {
        0 -> println("total = ${registry.total()}")
        else -> println("$n arguments ignored")
    }
}
