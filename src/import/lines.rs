//! Line numbers of records in a decoded text file, for reports that name a row by its line
//! (`office.csv:5`): a line break is `\n`, `\r\n` or a lone `\r`, and a record starts at its
//! first character that is not a line break (a quoted cell may hold line breaks, so the line
//! of a record is counted, not its index). The csv reader's own line count is off by one after
//! CRLF line ends (a record can be reported as starting at the `\n` of the previous `\r\n`),
//! so the importers count lines here.

/// Line numbers of byte offsets, read in increasing order.
pub(crate) struct LineStarts<'t> {
    text: &'t [u8],
    pos: usize,
    line: u64,
}

impl<'t> LineStarts<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LineStarts {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The line of the record starting at byte `start` (offsets must not decrease).
    pub(crate) fn line_at(&mut self, start: usize) -> u64 {
        let mut start = start.min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        while self.pos < start {
            let b = self.text[self.pos];
            let next = self.text.get(self.pos + 1).copied();
            if b == b'\n' || (b == b'\r' && next != Some(b'\n')) {
                self.line += 1;
            }
            self.pos += 1;
        }
        self.line
    }
}
