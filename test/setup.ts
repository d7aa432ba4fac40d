import { Testing } from "cdktf";
// Brings the matcher typings (a global augmentation of jest.Matchers).
import "cdktf/lib/testing/adapters/jest";

// Adds toHaveResourceWithProperties & co. to expect().
Testing.setupJest();
