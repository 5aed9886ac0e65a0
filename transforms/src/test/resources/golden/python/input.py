"""Inventory helpers."""

import dataclasses
from typing import Iterable

DEFAULT_LIMIT = 10


@dataclasses.dataclass
class Item:
    """One line of inventory."""

    name: str
    quantity: int = 0

    def total(self, price: float) -> float:
        # Multiply, then round to cents.
        return round(self.quantity * price, 2)


class Inventory:
    def __init__(self, items: Iterable[Item] = ()):
        self.items = list(items)

    def add(self, item):
        if item.quantity < 0:
            raise ValueError(f"negative quantity for {item.name!r}")
        self.items.append(item)

    def names(self, limit=DEFAULT_LIMIT):
        return [i.name for i in self.items][:limit]


def load(lines):
    inventory = Inventory()
    for line in lines:
        name, _, qty = line.partition("=")
        inventory.add(Item(name.strip(), int(qty or 0)))
    return inventory


if __name__ == "__main__":
    print(load(["apple=3", "pear=0x1F"]).names())
