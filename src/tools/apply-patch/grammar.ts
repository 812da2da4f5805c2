// The Lark grammar of the freeform `apply_patch` tool. Responses models with constrained decoding can only
// emit text this grammar accepts, so it describes the strict form of the patch format (the parser stays
// lenient for everything else). One line-text terminal keeps it unambiguous for the lexer; chunks are a
// flat run of headers and diff lines, exactly as the parser reads them. Written from the format's
// definition; checked with Python's `lark` (see docs/apply-patch.md).

export const APPLY_PATCH_LARK_GRAMMAR = String.raw`start: begin_patch file_op+ end_patch

begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?

file_op: add_file | delete_file | update_file

add_file: "*** Add File: " LINE LF added_line+
delete_file: "*** Delete File: " LINE LF
update_file: "*** Update File: " LINE LF move_to? change

move_to: "*** Move to: " LINE LF
change: (chunk_header | diff_line | end_of_file)+
chunk_header: "@@" LF | "@@ " LINE LF
diff_line: (" " | "-" | "+") LINE? LF
added_line: "+" LINE? LF
end_of_file: "*** End of File" LF

LINE: /[^\r\n]+/

%import common.LF
`;
