const std = @import("std");

const Shape = union(enum) {
    circle: f64,
    rect: struct { w: f64, h: f64 },

    fn area(self: Shape) f64 {
        return switch (self) {
            .circle => |r| std.math.pi * r * r,
            .rect => |r| r.w * r.h,
        };
    }
};

pub fn main() !void {
    const shapes = [_]Shape{ .{ .circle = 1.0 }, .{ .rect = .{ .w = 2, .h = 3 } } };
    var total: f64 = 0;
    for (shapes) |s| {
        total += s.area();
    }
    std.debug.print("total: {d:.2}\n", .{total});
}
