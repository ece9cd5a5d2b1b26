import CArgon2
import Glibc

/// The journal's key made from a passphrase, for people without a Secret Service: Argon2id
/// (libargon2) over the passphrase and a random salt.
///
/// One derivation gives 64 bytes: the first 32 are the key, the last 32 the ``check``, which
/// is kept beside the salt in the `key-params` file so that a wrong passphrase is told from a
/// right one without opening the journal. For Argon2id, an output of up to 64 bytes is one
/// BLAKE2b digest of that length (RFC 9106, section 3.3, H'), so the two halves are disjoint
/// parts of one hash output: knowing one says nothing about the other unless BLAKE2b is
/// broken. What the check does allow is testing a guessed passphrase offline, one whole
/// Argon2id run per guess; the encrypted journal allows exactly that already, so the check
/// gives an attacker nothing new.
public struct PassphraseKey: Sendable {
    /// Bytes of ``bytes``: a 256-bit key, as SQLCipher takes it raw.
    public static let keyLength = 32
    /// Bytes of ``check``.
    public static let checkLength = 32

    /// The key.
    public let bytes: [UInt8]
    /// The value stored in `key-params` that a later derivation must reproduce.
    public let check: [UInt8]
    /// What the key was derived with.
    public let parameters: Parameters

    /// What `key-params` must hold for this key to be derived again and recognised.
    public var record: Record { Record(parameters: parameters, check: check) }

    /// Argon2id's cost and salt. The default costs are RFC 9106's second recommended option
    /// (64 MiB, three passes) with one lane where it has four, so that a derivation takes one
    /// core rather than four: 0.18 s on the development machine (median of 21; up to 0.4 s
    /// with both cores busy), once per daemon start at most.
    public struct Parameters: Sendable, Equatable {
        /// Bytes of salt ``PassphraseKey/newParameters(memoryKiB:iterations:lanes:)`` draws.
        public static let saltLength = 16
        /// 64 MiB.
        public static let defaultMemoryKiB: UInt32 = 65_536
        /// Three passes over the memory.
        public static let defaultIterations: UInt32 = 3
        /// One lane: the daemon does not need a derivation spread over every core.
        public static let defaultLanes: UInt32 = 1

        /// Accepted ranges. The upper bounds keep a damaged or hostile `key-params` from asking
        /// for more memory or time than a desktop can give (2 GiB is RFC 9106's first option).
        public static let saltLengths = 16...64
        /// Lanes accepted.
        public static let laneRange: ClosedRange<UInt32> = 1...16
        /// Passes accepted.
        public static let iterationRange: ClosedRange<UInt32> = 1...64
        /// Most memory accepted, in KiB; the least is Argon2's own, 8 KiB per lane.
        public static let maximumMemoryKiB: UInt32 = 2_097_152

        /// Random, unique to this journal; not secret.
        public var salt: [UInt8]
        /// Memory Argon2id fills, in KiB.
        public var memoryKiB: UInt32
        /// Passes over that memory.
        public var iterations: UInt32
        /// Independent lanes (degree of parallelism).
        public var lanes: UInt32

        /// Parameters as given; ``validate()`` says whether they can be used.
        public init(
            salt: [UInt8], memoryKiB: UInt32 = defaultMemoryKiB, iterations: UInt32 = defaultIterations,
            lanes: UInt32 = defaultLanes
        ) {
            self.salt = salt
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.lanes = lanes
        }

        /// Throws ``PassphraseKeyError/badParameters(_:)`` naming the first value out of range.
        public func validate() throws(PassphraseKeyError) {
            guard Self.saltLengths.contains(salt.count) else {
                throw .badParameters(
                    "the salt is \(salt.count) bytes; \(Self.saltLengths.lowerBound) to \(Self.saltLengths.upperBound) are accepted"
                )
            }
            guard Self.laneRange.contains(lanes) else {
                throw .badParameters("p=\(lanes) is out of range (\(Self.laneRange.lowerBound) to \(Self.laneRange.upperBound))")
            }
            guard Self.iterationRange.contains(iterations) else {
                throw .badParameters(
                    "t=\(iterations) is out of range (\(Self.iterationRange.lowerBound) to \(Self.iterationRange.upperBound))")
            }
            let leastMemory = 8 * lanes
            guard memoryKiB >= leastMemory, memoryKiB <= Self.maximumMemoryKiB else {
                throw .badParameters(
                    "m=\(memoryKiB) is out of range (\(leastMemory) to \(Self.maximumMemoryKiB) KiB with p=\(lanes))")
            }
        }
    }

    /// The content of the `key-params` file: the parameters and the check, one line of text,
    /// for example
    /// `argon2id v=19 m=65536 t=3 p=1 salt=<32 hex digits> check=<64 hex digits>`.
    /// Names follow Argon2's PHC string (v, m, t, p), so the line reads like what `argon2`
    /// tools print; hex rather than base64 so that it can be checked by eye.
    public struct Record: Sendable, Equatable {
        /// The salt and costs.
        public var parameters: Parameters
        /// ``PassphraseKey/check`` of the key these parameters gave.
        public var check: [UInt8]

        /// A record as given.
        public init(parameters: Parameters, check: [UInt8]) {
            self.parameters = parameters
            self.check = check
        }

        /// The file's content: one line, ending in a newline.
        public var text: String {
            "argon2id v=19 m=\(parameters.memoryKiB) t=\(parameters.iterations) p=\(parameters.lanes)"
                + " salt=\(hex(parameters.salt)) check=\(hex(check))\n"
        }

        /// Reads the file's content. Every way it can be wrong has a message of its own
        /// (``PassphraseKeyError/badParameters(_:)``), naming the field at fault.
        public init(parsing text: String) throws(PassphraseKeyError) {
            let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
            guard let line = lines.first else { throw .badParameters("the file is empty") }
            guard lines.count == 1 else { throw .badParameters("there are \(lines.count) lines; one is expected") }
            let words = line.split(whereSeparator: \.isWhitespace)
            guard words.first == "argon2id" else {
                throw .badParameters("the line starts with \"\(words.first ?? "")\", not \"argon2id\"")
            }
            var fields: [Substring: Substring] = [:]
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                    throw .badParameters("\"\(word)\" is not name=value")
                }
                let name = word[..<equals]
                guard ["v", "m", "t", "p", "salt", "check"].contains(name) else {
                    throw .badParameters("unknown field \"\(name)\"")
                }
                guard fields[name] == nil else { throw .badParameters("\"\(name)\" is given twice") }
                fields[name] = word[word.index(after: equals)...]
            }
            func number(_ name: Substring) throws(PassphraseKeyError) -> UInt32 {
                guard let value = fields[name] else { throw .badParameters("\"\(name)\" is missing") }
                guard value.allSatisfy({ $0.isASCII && $0.isWholeNumber }), let number = UInt32(value) else {
                    throw .badParameters("\"\(name)=\(value)\" is not a whole number (0 to 4294967295)")
                }
                return number
            }
            func bytes(_ name: Substring) throws(PassphraseKeyError) -> [UInt8] {
                guard let value = fields[name] else { throw .badParameters("\"\(name)\" is missing") }
                guard let bytes = unhex(value) else {
                    throw .badParameters("\"\(name)\" is not an even number of hex digits")
                }
                return bytes
            }
            let version = try number("v")
            guard version == UInt32(ARGON2_VERSION_13.rawValue) else {
                throw .badParameters("v=\(version) is not Argon2 version 19, the only one read")
            }
            let parameters = Parameters(
                salt: try bytes("salt"), memoryKiB: try number("m"), iterations: try number("t"),
                lanes: try number("p"))
            try parameters.validate()
            let check = try bytes("check")
            guard check.count == PassphraseKey.checkLength else {
                throw .badParameters("the check is \(check.count) bytes; \(PassphraseKey.checkLength) are expected")
            }
            self.init(parameters: parameters, check: check)
        }
    }

    /// Parameters for a new passphrase: a fresh random salt (getrandom(2)) and the given costs.
    public static func newParameters(
        memoryKiB: UInt32 = Parameters.defaultMemoryKiB, iterations: UInt32 = Parameters.defaultIterations,
        lanes: UInt32 = Parameters.defaultLanes
    ) throws(PassphraseKeyError) -> Parameters {
        var salt = [UInt8](repeating: 0, count: Parameters.saltLength)
        let result = salt.withUnsafeMutableBytes { kindling_random_bytes($0.baseAddress, $0.count) }
        guard result == 0 else { throw .noRandomness(errno: -result) }
        let parameters = Parameters(salt: salt, memoryKiB: memoryKiB, iterations: iterations, lanes: lanes)
        try parameters.validate()
        return parameters
    }

    /// Runs Argon2id (version 19) over `passphrase` (its bytes as typed; no Unicode
    /// normalisation) and returns the key with its check. Takes the whole cost of the
    /// parameters: call it off any queue that must stay responsive.
    public static func derive(passphrase: [UInt8], parameters: Parameters) throws(PassphraseKeyError) -> PassphraseKey {
        try parameters.validate()
        let output = try argon2id(
            passphrase: passphrase, salt: parameters.salt, memoryKiB: parameters.memoryKiB,
            iterations: parameters.iterations, lanes: parameters.lanes, length: keyLength + checkLength)
        return PassphraseKey(
            bytes: Array(output[..<keyLength]), check: Array(output[keyLength...]), parameters: parameters)
    }

    /// Derives the key with `record`'s parameters and returns it only if its check is the
    /// recorded one; ``PassphraseKeyError/wrongPassphrase`` otherwise.
    public static func unlock(passphrase: [UInt8], record: Record) throws(PassphraseKeyError) -> PassphraseKey {
        let key = try derive(passphrase: passphrase, parameters: record.parameters)
        guard key.matches(record) else { throw .wrongPassphrase }
        return key
    }

    /// Whether this key's check is `record`'s, compared in constant time.
    public func matches(_ record: Record) -> Bool {
        guard record.check.count == check.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(check, record.check) { difference |= a ^ b }
        return difference == 0
    }

    /// Raw Argon2id, `length` bytes. The output passes through a buffer of its own that is
    /// wiped before it is freed; libargon2 wipes its working memory and the initial hash itself
    /// (its clear-internal-memory default). The returned array is the one copy left.
    static func argon2id(
        passphrase: [UInt8], salt: [UInt8], memoryKiB: UInt32, iterations: UInt32, lanes: UInt32, length: Int
    ) throws(PassphraseKeyError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 8)
        defer {
            wipe(buffer)
            buffer.deallocate()
        }
        let code = passphrase.withUnsafeBytes { secret in
            salt.withUnsafeBytes { salt in
                argon2id_hash_raw(
                    iterations, memoryKiB, lanes, secret.baseAddress, secret.count, salt.baseAddress, salt.count,
                    buffer.baseAddress, length)
            }
        }
        guard code == ARGON2_OK.rawValue else {
            throw .argon2(code: code, message: String(cString: argon2_error_message(code)))
        }
        return Array(buffer)
    }
}

/// Why a passphrase key could not be made or was not accepted.
public enum PassphraseKeyError: Error, Equatable, CustomStringConvertible {
    /// The passphrase does not give the recorded check.
    case wrongPassphrase
    /// Parameters out of range, or `key-params` text that cannot be read; the message names
    /// the field.
    case badParameters(String)
    /// libargon2 refused (most likely: not enough memory).
    case argon2(code: Int32, message: String)
    /// getrandom(2) failed.
    case noRandomness(errno: Int32)

    public var description: String {
        switch self {
        case .wrongPassphrase: "wrong passphrase"
        case .badParameters(let message): "unusable key parameters: \(message)"
        case .argon2(_, let message): "Argon2id failed: \(message)"
        case .noRandomness(let errno): "no random bytes for a salt: \(String(cString: strerror(errno)))"
        }
    }
}

/// Zeroes memory that held key material, in a way the optimiser may not drop (explicit_bzero).
func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress else { return }
    explicit_bzero(base, buffer.count)
}

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var text = ""
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xf)])
    }
    return text
}

private func unhex(_ text: Substring) -> [UInt8]? {
    let nibbles = text.utf8.map { (unit: UInt8) -> UInt8? in
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): unit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): unit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
    guard nibbles.count.isMultiple(of: 2), !nibbles.contains(nil) else { return nil }
    let values = nibbles.map { $0! }
    return stride(from: 0, to: values.count, by: 2).map { values[$0] << 4 | values[$0 + 1] }
}
