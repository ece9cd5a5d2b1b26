import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a file a line at a time without ever holding more than `limit` bytes of one line: a file
/// with a gigabyte on one line is refused at that line, not read into memory.
struct FileLines {
    enum Line: Equatable {
        /// The line's text, without its newline; `number` counts from 1, empty lines included.
        case text(String, number: Int)
        /// The line holds bytes that are not UTF-8.
        case notUTF8(number: Int)
        /// The line is longer than the limit.
        case tooLong(number: Int)
    }

    private let stream: UnsafeMutablePointer<FILE>
    private let limit: Int
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var chunkStart = 0
    private var chunkEnd = 0
    private var number = 0

    init(_ stream: UnsafeMutablePointer<FILE>, limit: Int) {
        self.stream = stream
        self.limit = limit
    }

    /// The next line, or nil at the end of the file. After `.tooLong` the reader is not to be used.
    mutating func next() -> Line? {
        var line: [UInt8] = []
        var sawAny = false
        while true {
            if chunkStart == chunkEnd {
                let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, stream) }
                guard count > 0 else { break }
                chunkStart = 0
                chunkEnd = count
            }
            sawAny = true
            let newline = chunk[chunkStart..<chunkEnd].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? chunkEnd
            guard line.count + (end - chunkStart) <= limit else {
                number += 1
                return .tooLong(number: number)
            }
            line.append(contentsOf: chunk[chunkStart..<end])
            chunkStart = newline.map { $0 + 1 } ?? chunkEnd
            if newline != nil { break }
        }
        guard sawAny else { return nil }
        number += 1
        guard let text = String(validating: line, as: UTF8.self) else { return .notUTF8(number: number) }
        return .text(text, number: number)
    }
}
