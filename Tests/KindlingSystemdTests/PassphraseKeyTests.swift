import Foundation
import Testing

@testable import KindlingSystemd

/// The passphrase path's key derivation: libargon2 bound right (known answers), the key and
/// its check stable and specific, and `key-params` read strictly.
@Suite struct PassphraseKeyTests {
    /// Small costs, so that the tests that derive many keys stay quick; the costs do not change
    /// what is being tested.
    static let cheap = PassphraseKey.Parameters(salt: Array(repeating: 0x5a, count: 16), memoryKiB: 1024, iterations: 1)

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// libargon2's own test vectors (src/test.c, Argon2id, version 19, password "password",
    /// salt "somesalt", 32-byte tag), one of them with two lanes. They pin the argument order
    /// of argon2id_hash_raw (t, m, p) and the version: any slip gives another tag.
    @Test(arguments: [
        (65_536 as UInt32, 2 as UInt32, 1 as UInt32, "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"),
        (256, 2, 1, "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe"),
        (256, 2, 2, "6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037"),
    ])
    func argon2idGivesTheReferenceTags(memoryKiB: UInt32, iterations: UInt32, lanes: UInt32, expected: String) throws {
        let tag = try PassphraseKey.argon2id(
            passphrase: Array("password".utf8), salt: Array("somesalt".utf8), memoryKiB: memoryKiB,
            iterations: iterations, lanes: lanes, length: 32)
        #expect(Self.hex(tag) == expected)
    }

    /// The key and the check are the two halves of one 64-byte Argon2id output.
    @Test func theKeyAndTheCheckAreTheHalvesOfOneOutput() throws {
        let passphrase = Array("correct horse battery staple".utf8)
        let key = try PassphraseKey.derive(passphrase: passphrase, parameters: Self.cheap)
        let whole = try PassphraseKey.argon2id(
            passphrase: passphrase, salt: Self.cheap.salt, memoryKiB: 1024, iterations: 1, lanes: 1, length: 64)
        #expect(key.bytes.count == 32 && key.check.count == 32)
        #expect(key.bytes + key.check == whole)
        #expect(key.bytes != key.check)
    }

    @Test func theSamePassphraseAndParametersGiveTheSameKey() throws {
        let passphrase = Array("a quiet morning".utf8)
        let first = try PassphraseKey.derive(passphrase: passphrase, parameters: Self.cheap)
        let second = try PassphraseKey.derive(passphrase: passphrase, parameters: Self.cheap)
        #expect(first.bytes == second.bytes)
        #expect(first.check == second.check)
        #expect(first.record == second.record)
    }

    @Test func anotherSaltPassphraseOrCostGivesAnotherKeyAndCheck() throws {
        let passphrase = Array("a quiet morning".utf8)
        let base = try PassphraseKey.derive(passphrase: passphrase, parameters: Self.cheap)
        var otherSalt = Self.cheap
        otherSalt.salt[15] ^= 1
        var otherCost = Self.cheap
        otherCost.iterations = 2
        let others = [
            try PassphraseKey.derive(passphrase: passphrase, parameters: otherSalt),
            try PassphraseKey.derive(passphrase: Array("a quiet morninG".utf8), parameters: Self.cheap),
            try PassphraseKey.derive(passphrase: [], parameters: Self.cheap),
            try PassphraseKey.derive(passphrase: passphrase, parameters: otherCost),
        ]
        for other in others {
            #expect(other.bytes != base.bytes)
            #expect(other.check != base.check)
        }
    }

    @Test func theRightPassphraseUnlocksAndAWrongOneIsRecognised() throws {
        let parameters = try PassphraseKey.newParameters(memoryKiB: 1024, iterations: 1)
        let made = try PassphraseKey.derive(passphrase: Array("kind words".utf8), parameters: parameters)
        let record = try PassphraseKey.Record(parsing: made.record.text)

        let unlocked = try PassphraseKey.unlock(passphrase: Array("kind words".utf8), record: record)
        #expect(unlocked.bytes == made.bytes)
        for wrong in ["kind word", "Kind words", "kind words ", ""] {
            #expect(throws: PassphraseKeyError.wrongPassphrase) {
                try PassphraseKey.unlock(passphrase: Array(wrong.utf8), record: record)
            }
        }
        #expect(PassphraseKeyError.wrongPassphrase.description == "wrong passphrase")
    }

    @Test func newParametersHaveAFreshSaltAndTheDefaults() throws {
        let first = try PassphraseKey.newParameters()
        let second = try PassphraseKey.newParameters()
        #expect(first.salt.count == 16)
        #expect(first.salt != second.salt)
        #expect(first.salt != Array(repeating: 0, count: 16))
        #expect(first.memoryKiB == 65_536 && first.iterations == 3 && first.lanes == 1)
        #expect(throws: PassphraseKeyError.badParameters("m=4 is out of range (8 to 2097152 KiB with p=1)")) {
            try PassphraseKey.newParameters(memoryKiB: 4)
        }
    }

    /// The real cost: the defaults, as `kindling encrypt` would use them. Prints the median of
    /// five derivations; the bound only catches a cost gone wildly wrong on a loaded machine.
    @Test func theDefaultCostIsInteractive() throws {
        let parameters = try PassphraseKey.newParameters()
        var times: [Duration] = []
        for _ in 0..<5 {
            let clock = ContinuousClock()
            let began = clock.now
            _ = try PassphraseKey.derive(passphrase: Array("a quiet morning".utf8), parameters: parameters)
            times.append(clock.now - began)
        }
        let median = times.sorted()[2]
        print("measured: Argon2id m=64 MiB t=3 p=1 takes \(median) (median of 5; all: \(times))")
        #expect(median < .seconds(3))
    }

    @Test func theRecordTextRoundTrips() throws {
        let parameters = PassphraseKey.Parameters(
            salt: Array(0..<16), memoryKiB: 65_536, iterations: 3, lanes: 1)
        let record = PassphraseKey.Record(parameters: parameters, check: Array(200..<232))
        #expect(
            record.text
                == "argon2id v=19 m=65536 t=3 p=1 salt=000102030405060708090a0b0c0d0e0f"
                + " check=c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7\n")
        #expect(try PassphraseKey.Record(parsing: record.text) == record)

        // Written by hand: fields in another order, upper-case hex, no final newline.
        let reordered =
            "argon2id check=C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7 p=1 t=3 m=65536 v=19"
            + " salt=000102030405060708090A0B0C0D0E0F"
        #expect(try PassphraseKey.Record(parsing: reordered) == record)
    }

    static let salt = String(repeating: "ab", count: 16)
    static let check = String(repeating: "cd", count: 32)
    static let good = "argon2id v=19 m=1024 t=1 p=1 salt=\(salt) check=\(check)"

    /// Every way the file can be wrong, with the message the person will read.
    @Test(arguments: [
        ("", "the file is empty"),
        (" \n\n", "the file is empty"),
        ("\(good)\n\(good)\n", "there are 2 lines; one is expected"),
        ("argon2i v=19 m=1024 t=1 p=1 salt=\(salt) check=\(check)", "the line starts with \"argon2i\", not \"argon2id\""),
        ("\(good) oops", "\"oops\" is not name=value"),
        ("\(good) =5", "\"=5\" is not name=value"),
        ("\(good) x=1", "unknown field \"x\""),
        ("\(good) m=2048", "\"m\" is given twice"),
        ("argon2id v=19 t=1 p=1 salt=\(salt) check=\(check)", "\"m\" is missing"),
        ("argon2id m=1024 t=1 p=1 salt=\(salt) check=\(check)", "\"v\" is missing"),
        ("argon2id v=19 m=1024 t=1 p=1 salt=\(salt)", "\"check\" is missing"),
        ("argon2id v=16 m=1024 t=1 p=1 salt=\(salt) check=\(check)", "v=16 is not Argon2 version 19, the only one read"),
        ("argon2id v=19 m=1k t=1 p=1 salt=\(salt) check=\(check)", "\"m=1k\" is not a whole number (0 to 4294967295)"),
        ("argon2id v=19 m=+1024 t=1 p=1 salt=\(salt) check=\(check)", "\"m=+1024\" is not a whole number (0 to 4294967295)"),
        (
            "argon2id v=19 m=99999999999 t=1 p=1 salt=\(salt) check=\(check)",
            "\"m=99999999999\" is not a whole number (0 to 4294967295)"
        ),
        ("argon2id v=19 m=4 t=1 p=1 salt=\(salt) check=\(check)", "m=4 is out of range (8 to 2097152 KiB with p=1)"),
        ("argon2id v=19 m=8 t=1 p=2 salt=\(salt) check=\(check)", "m=8 is out of range (16 to 2097152 KiB with p=2)"),
        ("argon2id v=19 m=4194304 t=1 p=1 salt=\(salt) check=\(check)", "m=4194304 is out of range (8 to 2097152 KiB with p=1)"),
        ("argon2id v=19 m=1024 t=0 p=1 salt=\(salt) check=\(check)", "t=0 is out of range (1 to 64)"),
        ("argon2id v=19 m=1024 t=1 p=0 salt=\(salt) check=\(check)", "p=0 is out of range (1 to 16)"),
        ("argon2id v=19 m=1024 t=1 p=1 salt=abc check=\(check)", "\"salt\" is not an even number of hex digits"),
        ("argon2id v=19 m=1024 t=1 p=1 salt=\(salt) check=zz", "\"check\" is not an even number of hex digits"),
        ("argon2id v=19 m=1024 t=1 p=1 salt=abababab check=\(check)", "the salt is 4 bytes; 16 to 64 are accepted"),
        ("argon2id v=19 m=1024 t=1 p=1 salt=\(salt) check=cdcd", "the check is 2 bytes; 32 are expected"),
    ])
    func malformedRecordsSayWhatIsWrong(text: String, message: String) {
        #expect(throws: PassphraseKeyError.badParameters(message)) { try PassphraseKey.Record(parsing: text) }
        #expect(PassphraseKeyError.badParameters(message).description == "unusable key parameters: \(message)")
    }

    @Test func theWellFormedLineUsedAboveIsAccepted() throws {
        let record = try PassphraseKey.Record(parsing: Self.good + "\n")
        #expect(record.parameters.memoryKiB == 1024 && record.parameters.salt == Array(repeating: 0xab, count: 16))
    }

    /// Parameters set in code are checked before libargon2 sees them.
    @Test func deriveRefusesParametersOutOfRange() {
        var parameters = Self.cheap
        parameters.salt = [1, 2, 3]
        #expect(throws: PassphraseKeyError.badParameters("the salt is 3 bytes; 16 to 64 are accepted")) {
            try PassphraseKey.derive(passphrase: [1], parameters: parameters)
        }
    }
}
