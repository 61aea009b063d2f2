package markdown

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// TaskLabel is a task list item's box with the text after it, up to the item's first
// block's end (a nested list stays outside). It renders as one <label>, so tapping the
// text ticks the box and a link in the text stays a link, and its box carries data-task:
// Key, a hash of the item's wording, under which the theme keeps the tick. The same
// wording in another edition of the page has the same key; reworded, it has another.
type TaskLabel struct {
	ast.BaseInline
	Key string
}

// KindTaskLabel is the NodeKind of TaskLabel.
var KindTaskLabel = ast.NewNodeKind("TaskLabel")

func (n *TaskLabel) Kind() ast.NodeKind { return KindTaskLabel }

func (n *TaskLabel) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Key": n.Key}, nil)
}

// labelTasks moves each task box and the inlines after it into a TaskLabel.
func labelTasks(boxes []ast.Node, src []byte) {
	for _, box := range boxes {
		block := box.Parent()
		label := &TaskLabel{Key: taskKey(PlainText(block, src))}
		for c := block.FirstChild(); c != nil; {
			next := c.NextSibling()
			block.RemoveChild(block, c)
			label.AppendChild(label, c)
			c = next
		}
		block.AppendChild(block, label)
	}
}

// taskKey is the key of an item's wording: white space and letter case do not count.
func taskKey(text string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(text), " "))))
	return hex.EncodeToString(sum[:8])
}

func (r *nodeRenderer) taskLabel(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		w.WriteString(`<label class="task">`)
	} else {
		w.WriteString("</label>")
	}
	return ast.WalkContinue, nil
}

// taskCheckBox renders an enabled box (goldmark's is disabled), named by the label around
// it, ticked where the author wrote [x].
func (r *nodeRenderer) taskCheckBox(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	w.WriteString(`<input type="checkbox" class="task"`)
	if l, ok := n.Parent().(*TaskLabel); ok {
		w.WriteString(` data-task="` + l.Key + `"`)
	}
	if n.(*east.TaskCheckBox).IsChecked {
		w.WriteString(" checked")
	}
	w.WriteString("> ")
	return ast.WalkContinue, nil
}
