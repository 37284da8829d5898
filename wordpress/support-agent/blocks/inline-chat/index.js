/**
 * The "Support chat" block in the editor: a placeholder with a height setting. The page itself gets the chat
 * from the PHP render callback, so nothing is saved in the post content (save returns null). Plain script
 * against the wp.* globals, so the plugin needs no build step.
 */
((blocks, element, blockEditor, components, i18n) => {
  const el = element.createElement;
  const __ = i18n.__;

  blocks.registerBlockType("support-agent/inline-chat", {
    edit: (props) => {
      const blockProps = blockEditor.useBlockProps({
        style: {
          height: `${props.attributes.height}px`,
          border: "1px dashed #8c959f",
          borderRadius: "8px",
          display: "grid",
          placeItems: "center",
          padding: "16px",
        },
      });
      return el(
        element.Fragment,
        null,
        el(
          blockEditor.InspectorControls,
          null,
          el(
            components.PanelBody,
            { title: __("Size", "support-agent") },
            el(components.RangeControl, {
              label: __("Height (px)", "support-agent"),
              min: 320,
              max: 1000,
              value: props.attributes.height,
              onChange: (height) => props.setAttributes({ height: height ?? 560 }),
            }),
          ),
        ),
        el("div", blockProps, __("The support chat appears here on the published page.", "support-agent")),
      );
    },
    save: () => null,
  });
})(window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n);
