//! The exact binary form of the checkpoint's records and the lean table's
//! rows: integers and floats by their little-endian bits, an optional float
//! as a flag byte then the float (0 when absent).

pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn put_f64(out: &mut Vec<u8>, v: f64) {
    put_u64(out, v.to_bits());
}

pub fn put_opt(out: &mut Vec<u8>, v: Option<f64>) {
    out.push(u8::from(v.is_some()));
    put_f64(out, v.unwrap_or(0.0));
}

/// Reads the forms back in order; None past the end.
pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

impl Reader<'_> {
    pub fn u8(&mut self) -> Option<u8> {
        let v = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(v)
    }

    pub fn u64(&mut self) -> Option<u64> {
        let b = self.bytes.get(self.at..self.at + 8)?;
        self.at += 8;
        Some(u64::from_le_bytes(b.try_into().ok()?))
    }

    pub fn f64(&mut self) -> Option<f64> {
        self.u64().map(f64::from_bits)
    }

    pub fn opt(&mut self) -> Option<Option<f64>> {
        let some = self.u8()? == 1;
        let v = self.f64()?;
        Some(some.then_some(v))
    }
}
