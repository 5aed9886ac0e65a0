//! A tiny matrix library.

use std::fmt;
use std::ops::Add;

/// A 2x2 matrix of f64.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix {
    cells: [[f64; 2]; 2],
}

pub enum Shape {
    Square(u32),
    Rect { w: u32, h: u32 },
}

pub trait Determinant {
    fn det(&self) -> f64;
}

impl Matrix {
    pub const IDENTITY: Matrix = Matrix { cells: [[1.0, 0.0], [0.0, 1.0]] };

    pub fn new(a: f64, b: f64, c: f64, d: f64) -> Self {
        Matrix { cells: [[a, b], [c, d]] }
    }
}

impl Determinant for Matrix {
    fn det(&self) -> f64 {
        self.cells[0][0] * self.cells[1][1] - self.cells[0][1] * self.cells[1][0]
    }
}

impl Add for Matrix {
    type Output = Matrix;

    fn add(self, other: Matrix) -> Matrix {
        let c = |i: usize, j: usize| self.cells[i][j] + other.cells[i][j];
        Matrix::new(c(0, 0), c(0, 1), c(1, 0), c(1, 1))
    }
}

impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} {}; {} {}]", self.cells[0][0], self.cells[0][1], self.cells[1][0], self.cells[1][1])
    }
}

macro_rules! square {
    ($x:expr) => {
        $x * $x
    };
}

mod tests {
    fn sum() -> u32 {
        square!(3) + 'x' as u32
    }
}
